namespace EvoCode.Evolver.Languages;

/// <summary>What a <see cref="SourceToken"/> is.</summary>
public enum SourceTokenKind
{
    /// <summary>A name or keyword.</summary>
    Word,

    /// <summary>A numeric literal, suffix included (1.5f, 10u).</summary>
    Number,

    /// <summary>A string or character literal.</summary>
    Text,

    /// <summary>An operator or punctuation: one character, or one of the two-character logical operators.</summary>
    Symbol,

    /// <summary>The end of a logical line, for languages whose layout carries meaning.</summary>
    LineEnd,

    /// <summary>One level deeper indentation, for languages whose layout carries meaning.</summary>
    Indent,

    /// <summary>One level shallower indentation, for languages whose layout carries meaning.</summary>
    Dedent,
}

/// <summary>A token and where it lies in the source (layout tokens have length 0).</summary>
public readonly record struct SourceToken(SourceTokenKind Kind, int Start, int Length, string Text);

/// <summary>How a language's source splits into tokens.</summary>
/// <param name="CommentPrefix">What starts a line comment.</param>
/// <param name="BlockComment">Open and close of a block comment, such as /* */, or <c>null</c>.</param>
/// <param name="IndentationMatters">Whether line ends and indentation are tokens (Python).</param>
/// <param name="TripleQuotes">Whether """ and ''' open multi-line strings.</param>
/// <param name="Quotes">The characters that open a string or character literal.</param>
public sealed record LexicalRules(string CommentPrefix, (string Open, string Close)? BlockComment, bool IndentationMatters, bool TripleQuotes, string Quotes = "\"'");

/// <summary>
/// A small language-neutral lexer: words, numbers, strings, symbols; comments and whitespace dropped. It is not a
/// parser and never fails: text it does not understand becomes symbols, so the fingerprint and the operators
/// work on any language with a line-comment syntax.
/// </summary>
public static class SourceLexer
{
    public static List<SourceToken> Tokenize(string source, LexicalRules rules)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rules);
        var tokens = new List<SourceToken>();
        var indents = new Stack<int>();
        indents.Push(0);
        var brackets = 0;
        var lineStart = true;
        var i = 0;
        while (i < source.Length)
        {
            if (lineStart && rules.IndentationMatters && brackets == 0)
            {
                var width = 0;
                var j = i;
                while (j < source.Length && source[j] is ' ' or '\t')
                {
                    width += source[j] == '\t' ? 8 - (width % 8) : 1;
                    j++;
                }

                var blank = j >= source.Length || source[j] is '\n' or '\r' || At(source, j, rules.CommentPrefix);
                if (!blank)
                {
                    if (width > indents.Peek())
                    {
                        indents.Push(width);
                        tokens.Add(new SourceToken(SourceTokenKind.Indent, j, 0, "<indent>"));
                    }

                    while (width < indents.Peek())
                    {
                        indents.Pop();
                        tokens.Add(new SourceToken(SourceTokenKind.Dedent, j, 0, "<dedent>"));
                    }
                }

                i = j;
                lineStart = false;
                continue;
            }

            var c = source[i];
            if (c == '\n')
            {
                if (rules.IndentationMatters && brackets == 0 && tokens.Count > 0 && tokens[^1].Kind != SourceTokenKind.LineEnd)
                {
                    tokens.Add(new SourceToken(SourceTokenKind.LineEnd, i, 0, "<eol>"));
                }

                lineStart = true;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (At(source, i, rules.CommentPrefix))
            {
                i = LineEnd(source, i);
            }
            else if (rules.BlockComment is { } block && At(source, i, block.Open))
            {
                var close = source.IndexOf(block.Close, i + block.Open.Length, StringComparison.Ordinal);
                i = close < 0 ? source.Length : close + block.Close.Length;
            }
            else if (rules.Quotes.Contains(c, StringComparison.Ordinal))
            {
                var end = StringEnd(source, i, rules.TripleQuotes);
                tokens.Add(new SourceToken(SourceTokenKind.Text, i, end - i, source[i..end]));
                i = end;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < source.Length && char.IsAsciiDigit(source[i + 1])))
            {
                var end = NumberEnd(source, i);
                tokens.Add(new SourceToken(SourceTokenKind.Number, i, end - i, source[i..end]));
                i = end;
            }
            else if (char.IsLetter(c) || c is '_' or '$')
            {
                var end = i + 1;
                while (end < source.Length && (char.IsLetterOrDigit(source[end]) || source[end] is '_' or '$'))
                {
                    end++;
                }

                tokens.Add(new SourceToken(SourceTokenKind.Word, i, end - i, source[i..end]));
                i = end;
            }
            else
            {
                var length = i + 1 < source.Length && ((c == '&' && source[i + 1] == '&') || (c == '|' && source[i + 1] == '|')) ? 2 : 1;
                brackets = c is '(' or '[' or '{' ? brackets + 1 : c is ')' or ']' or '}' ? Math.Max(0, brackets - 1) : brackets;
                tokens.Add(new SourceToken(SourceTokenKind.Symbol, i, length, source.Substring(i, length)));
                i += length;
            }
        }

        if (rules.IndentationMatters)
        {
            while (indents.Count > 1)
            {
                indents.Pop();
                tokens.Add(new SourceToken(SourceTokenKind.Dedent, source.Length, 0, "<dedent>"));
            }
        }

        return tokens;
    }

    private static bool At(string source, int i, string text) =>
        text.Length > 0 && string.CompareOrdinal(source, i, text, 0, text.Length) == 0;

    private static int LineEnd(string source, int i)
    {
        var end = source.IndexOf('\n', i);
        return end < 0 ? source.Length : end;
    }

    private static int StringEnd(string source, int i, bool tripleQuotes)
    {
        var quote = source[i];
        var triple = new string(quote, 3);
        if (tripleQuotes && At(source, i, triple))
        {
            var close = source.IndexOf(triple, i + 3, StringComparison.Ordinal);
            return close < 0 ? source.Length : close + 3;
        }

        // A string that does not close on its line ends there, so one stray quote cannot swallow the program.
        for (var j = i + 1; j < source.Length; j++)
        {
            if (source[j] == '\\')
            {
                j++;
            }
            else if (source[j] == quote)
            {
                return j + 1;
            }
            else if (source[j] == '\n')
            {
                return j;
            }
        }

        return source.Length;
    }

    private static int NumberEnd(string source, int i)
    {
        var j = i;
        if (At(source, j, "0x") || At(source, j, "0X") || At(source, j, "0b") || At(source, j, "0B"))
        {
            j += 2;
            while (j < source.Length && (char.IsAsciiHexDigit(source[j]) || source[j] == '_'))
            {
                j++;
            }
        }
        else
        {
            while (j < source.Length && (char.IsAsciiDigit(source[j]) || source[j] == '_'))
            {
                j++;
            }

            // "1..10" is a range in some languages: a dot followed by a dot is not a decimal point.
            if (j < source.Length && source[j] == '.' && !(j + 1 < source.Length && source[j + 1] == '.'))
            {
                j++;
                while (j < source.Length && (char.IsAsciiDigit(source[j]) || source[j] == '_'))
                {
                    j++;
                }
            }

            if (j < source.Length && source[j] is 'e' or 'E'
                && (j + 1 < source.Length && char.IsAsciiDigit(source[j + 1])
                    || (j + 2 < source.Length && source[j + 1] is '+' or '-' && char.IsAsciiDigit(source[j + 2]))))
            {
                j += 2;
                while (j < source.Length && char.IsAsciiDigit(source[j]))
                {
                    j++;
                }
            }
        }

        // Type suffixes (1.5f, 10u, 2.0f64) belong to the literal.
        while (j < source.Length && (char.IsAsciiLetterOrDigit(source[j]) || source[j] == '_'))
        {
            j++;
        }

        return j;
    }
}
