using System.Collections.Concurrent;
using JasperFx.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shared.Messaging;
using Shared.Tenancy;
using Votes.Data;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime;
using Wolverine.Runtime.Handlers;

namespace IntegrationTests.Messaging;

/// <summary>A test message whose handler fails its first <c>FailTimes</c> attempts, each after writing its effect.</summary>
public sealed record Probe(Guid Key, int FailTimes);

/// <summary>Wolverine's entry for <see cref="Probe"/>, through the same transaction steps as the modules' handlers.</summary>
public static class ProbeHandler
{
    public const int MaxAttempts = 3;

    /// <summary>Three quick attempts, then a dead letter: what the platform's policy does, without its slow retries.</summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<Exception>().RetryWithCooldown(50.Milliseconds(), 100.Milliseconds()).Then.MoveToErrorQueue();

    /// <summary>A probe whose key has a gate here waits for it before its handling starts: a message in flight, as long as a test likes.</summary>
    public static readonly ConcurrentDictionary<Guid, TaskCompletionSource> Gates = new();

    public static async Task Handle(Probe message, HandlerTransactions transactions, MessageContext context, CancellationToken cancellationToken)
    {
        if (Gates.TryGetValue(message.Key, out var gate))
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        await transactions.RunAsync<VotesDbContext, ProbeEffects>(context, (effects, ct) => effects.ApplyAsync(message, ct), cancellationToken);
    }
}

/// <summary>
/// Records the probe's effect as a row written in the handler's transaction, then fails if this attempt should: a
/// failed attempt's effect rolls back with it. Counts every attempt.
/// </summary>
internal sealed class ProbeEffects(VotesDbContext db)
{
    public static readonly ConcurrentDictionary<Guid, int> Attempts = new();

    public async Task ApplyAsync(Probe message, CancellationToken cancellationToken)
    {
        var attempt = Attempts.AddOrUpdate(message.Key, 1, (_, n) => n + 1);
        await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO public.probe_effects (probe_key) VALUES ({message.Key})", cancellationToken);
        if (attempt <= message.FailTimes)
        {
            throw new InvalidOperationException($"Probe {message.Key} fails on attempt {attempt}.");
        }
    }
}

public sealed class MessagingFixture : ApiFixture
{
    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddScoped<ProbeEffects>();
        services.ConfigureWolverine(options => options.Discovery.IncludeType(typeof(ProbeHandler)));
    }

    public Task<long> ScalarAsync(string sql, params object[] parameters) => Deployment.ScalarAsync(sql, parameters);

    public Task<long> EffectsAsync(Guid key) => ScalarAsync("SELECT count(*) FROM public.probe_effects WHERE probe_key = $1", key);

    public async Task PrepareAsync() =>
        await ScalarAsync($"CREATE TABLE IF NOT EXISTS public.probe_effects (probe_key uuid NOT NULL); GRANT ALL ON public.probe_effects TO {PostgresServer.AppRole}; SELECT 0");

    private TenantPlacement? _tenant;

    /// <summary>A service scope acting for <paramref name="tenant"/>, or this fixture's own tenant, as a request or a delivery would.</summary>
    public async Task<AsyncServiceScope> TenantScopeAsync(TenantPlacement? tenant = null)
    {
        _tenant ??= await NewPlacedTenantAsync();
        var scope = Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().Enter(tenant ?? _tenant);
        return scope;
    }

    public async Task<TenantPlacement> NewPlacedTenantAsync()
    {
        var tenant = await NewTenantAsync();
        return new TenantPlacement(tenant.TenantId, await Deployment.ShardOfAsync(tenant.TenantId));
    }
}
