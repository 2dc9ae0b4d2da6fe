using System.Globalization;
using System.Text;

namespace EvoCode.Evaluators.Problems.CirclePacking;

/// <summary>Draws a packing in the unit square as SVG, marking circles that broke a rule in red.</summary>
public static class PackingSvg
{
    /// <summary>Renders rows of (x, y, r); y grows upwards as in the problem statement.</summary>
    public static string Render(IReadOnlyList<double[]> circles, IReadOnlySet<int>? invalid = null)
    {
        ArgumentNullException.ThrowIfNull(circles);
        const double Size = 400;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-4 -4 {Size + 8} {Size + 8}\" width=\"{Size + 8}\" height=\"{Size + 8}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Size}\" height=\"{Size}\" fill=\"white\" stroke=\"black\" stroke-width=\"1\"/>");
        for (var i = 0; i < circles.Count; i++)
        {
            var c = circles[i];
            if (c.Length < 3 || !c.All(double.IsFinite))
            {
                continue;
            }

            var colour = invalid?.Contains(i) == true ? "#d62728" : "#1f77b4";
            svg.Append(CultureInfo.InvariantCulture,
                $"<circle cx=\"{c[0] * Size:0.###}\" cy=\"{(1 - c[1]) * Size:0.###}\" r=\"{Math.Max(c[2], 0) * Size:0.###}\" fill=\"{colour}\" fill-opacity=\"0.35\" stroke=\"{colour}\" stroke-width=\"1\"><title>circle {i}: x={c[0]:R} y={c[1]:R} r={c[2]:R}</title></circle>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{c[0] * Size:0.###}\" y=\"{(1 - c[1]) * Size:0.###}\" font-size=\"9\" text-anchor=\"middle\" dominant-baseline=\"middle\">{i}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
