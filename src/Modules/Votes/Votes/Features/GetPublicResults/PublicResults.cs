using Microsoft.Extensions.Caching.Hybrid;
using Shared.Http;
using Shared.Tenancy;
using Votes.Contracts;
using Votes.Domain;

namespace Votes.Features.GetPublicResults;

/// <summary>
/// A poll's public results as cached bytes with their ETag. Counting costs a query, and a live poll is read far more
/// often than its tallies change: the entry is dropped (on every instance) after each tally batch commits, so the
/// results are counted at most once per batch per instance, and a one-second expiry bounds anything missed. The
/// projection drops it too when the poll changes, e.g. when its counts become final.
/// </summary>
internal sealed class PublicResults(HybridCache cache, TenantScopes scopes, TenantScope tenant)
{
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromSeconds(1), LocalCacheExpiration = TimeSpan.FromSeconds(1) };

    public static string TagOf(Guid pollId) => $"votes:results:{pollId:N}";

    public async Task<SerializedJson> SerializedAsync(PollReplica poll, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync($"{TagOf(poll.PollId)}:{poll.Version}", (scopes, tenant.Required, poll), static (state, ct) =>
            state.scopes.RunAsync(state.Required, async (IPollResults results) => SerializedJson.Of(await results.CountAsync(state.poll, ct))),
            Entry, [TagOf(poll.PollId)], cancellationToken);
}
