using EvoCode.Api.Hosting;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EvoCode.Api.Endpoints;

/// <summary>What most handlers need, bundled for <c>[AsParameters]</c>.</summary>
internal sealed class ApiServices(IDbContextFactory<EvoCodeDbContext> contexts, TimeProvider time, IOptions<ApiOptions> options)
{
    public IDbContextFactory<EvoCodeDbContext> Contexts { get; } = contexts;

    public TimeProvider Time { get; } = time;

    public ApiOptions Options { get; } = options.Value;
}
