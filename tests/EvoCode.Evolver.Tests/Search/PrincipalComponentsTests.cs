using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Tests.Search;

public sealed class PrincipalComponentsTests
{
    [Fact]
    public void Project2D_PointsInAPlane_MapsThemWithoutLoss()
    {
        // Points a*(1, 2, 0) + b*(0, 0, 1) with a spread wider than b: the first axis is a*sqrt(5), the second b.
        var points = new List<float[]>();
        foreach (var a in new[] { -2, -1, 0, 1, 2 })
        {
            foreach (var b in new[] { -0.5, 0.5 })
            {
                points.Add([a, 2 * a, (float)b]);
            }
        }

        var (coordinates, explained) = PrincipalComponents.Project2D(points);

        for (var i = 0; i < points.Count; i++)
        {
            Assert.Equal(points[i][0] * Math.Sqrt(5), coordinates[i][0], 6);
            Assert.Equal(points[i][2], coordinates[i][1], 6);
        }

        Assert.Equal(1, explained[0] + explained[1], 6);
        Assert.Equal(100 / 102.5, explained[0], 6);
    }

    [Fact]
    public void Project2D_IdenticalPoints_AllSitAtTheOrigin()
    {
        var (coordinates, explained) = PrincipalComponents.Project2D([[1, 2, 3], [1, 2, 3]]);

        Assert.All(coordinates, c => Assert.Equal([0, 0], c));
        Assert.Equal([0, 0], explained);
    }

    [Fact]
    public void Project2D_NoPoints_IsEmpty()
    {
        Assert.Empty(PrincipalComponents.Project2D([]).Coordinates);
    }
}
