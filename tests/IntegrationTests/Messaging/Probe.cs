using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shared.Messaging;
using Shared.Tenancy;
using Votes.Data;

namespace IntegrationTests.Messaging;

/// <summary>A test message whose handler fails its first <c>FailTimes</c> deliveries.</summary>
public sealed record Probe(Guid Key, int FailTimes);

/// <summary>
/// Records its effect as a row written in the handler's transaction (so a rolled-back delivery leaves none),
/// and counts every delivery attempt.
/// </summary>
internal sealed class ProbeHandler(VotesDbContext db) : IMessageHandler<Probe>
{
    public static readonly ConcurrentDictionary<Guid, int> Attempts = new();

    public async Task HandleAsync(Probe message, CancellationToken cancellationToken)
    {
        var attempt = Attempts.AddOrUpdate(message.Key, 1, (_, n) => n + 1);
        if (attempt <= message.FailTimes)
        {
            throw new InvalidOperationException($"Probe {message.Key} fails on attempt {attempt}.");
        }
        await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO public.probe_effects (probe_key) VALUES ({message.Key})", cancellationToken);
    }
}

/// <summary>A test message whose handler takes its time, longer than the relay's lease.</summary>
public sealed record SlowProbe(Guid Key, int Milliseconds);

internal sealed class SlowProbeHandler : IMessageHandler<SlowProbe>
{
    public Task HandleAsync(SlowProbe message, CancellationToken cancellationToken) => Task.Delay(message.Milliseconds, cancellationToken);
}

/// <summary>An in-process question for <see cref="IMessageBus.InvokeAsync{TRequest,TResponse}"/>.</summary>
public sealed record CountProbeEffects(Guid Key);

internal sealed class CountProbeEffectsHandler(VotesDbContext db) : IRequestHandler<CountProbeEffects, long>
{
    public async Task<long> HandleAsync(CountProbeEffects request, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM public.probe_effects WHERE probe_key = {request.Key}").SingleAsync(cancellationToken);
}

public sealed class MessagingFixture : ApiFixture
{
    public static readonly RetryPolicy ProbeRetries = new(3, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddMessageHandler<Probe, ProbeHandler, VotesDbContext>();
        services.ConfigureRetries<Probe>(ProbeRetries);
        services.AddRequestHandler<CountProbeEffects, long, CountProbeEffectsHandler>();
        services.AddMessageHandler<SlowProbe, SlowProbeHandler, VotesDbContext>();
        // A short lease, so that a handler can outlast it within a test.
        services.PostConfigure<MessagingOptions>(options => options.LeaseSeconds = 2);
    }

    public Task<long> ScalarAsync(string sql, params object[] parameters) => Deployment.ScalarAsync(sql, parameters);

    public Task<long> EffectsAsync(Guid key) => ScalarAsync("SELECT count(*) FROM public.probe_effects WHERE probe_key = $1", key);

    public async Task PrepareAsync() =>
        await ScalarAsync($"CREATE TABLE IF NOT EXISTS public.probe_effects (probe_key uuid NOT NULL); GRANT ALL ON public.probe_effects TO {PostgresServer.AppRole}; SELECT 0");

    private TenantPlacement? _tenant;

    /// <summary>A service scope acting for this fixture's tenant, as a request or a delivery would.</summary>
    public async Task<AsyncServiceScope> TenantScopeAsync()
    {
        if (_tenant is null)
        {
            var tenant = await NewTenantAsync();
            _tenant = new TenantPlacement(tenant.TenantId, await Deployment.ShardOfAsync(tenant.TenantId));
        }
        var scope = Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().Enter(_tenant);
        return scope;
    }
}
