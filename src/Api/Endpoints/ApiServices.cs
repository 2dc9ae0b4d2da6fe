using EvoCode.Api.Hosting;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EvoCode.Api.Endpoints;

/// <summary>What most handlers need, bundled for <c>[AsParameters]</c>.</summary>
internal sealed record ApiServices(IDbContextFactory<EvoCodeDbContext> Contexts, TimeProvider Time, IOptions<ApiOptions> Options);
