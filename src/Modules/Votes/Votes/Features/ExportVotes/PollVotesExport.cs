using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Votes.Contracts;
using Votes.Data;
using Votes.Domain;

namespace Votes.Features.ExportVotes;

/// <summary>Reads a poll's votes for the export, hashing each voter key with the tenant's <see cref="VoterHashKey"/>.</summary>
internal sealed class PollVotesExport(VotesDbContext db, TimeProvider clock) : IPollVotes
{
    public async IAsyncEnumerable<ExportedVote> ReadAsync(Guid tenantId, Guid pollId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = await KeyOfAsync(tenantId, cancellationToken);
        var votes = db.Votes.AsNoTracking()
            .Where(v => v.TenantId == tenantId && v.PollId == pollId)
            .OrderBy(v => v.CastAt).ThenBy(v => v.Id)
            .Select(v => new { v.Id, v.CastAt, v.OptionIds, v.VoterKey })
            .AsAsyncEnumerable();
        await foreach (var vote in votes.WithCancellation(cancellationToken))
        {
            yield return new ExportedVote(vote.Id, vote.CastAt, vote.OptionIds, vote.VoterKey is null ? null : key.Hash(vote.VoterKey));
        }
    }

    /// <summary>The tenant's key, made on its first export; two first exports at once agree on one (the first insert wins).</summary>
    private async Task<VoterHashKey> KeyOfAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (await db.VoterHashKeys.AsNoTracking().SingleOrDefaultAsync(k => k.TenantId == tenantId, cancellationToken) is { } existing)
        {
            return existing;
        }
        var made = VoterHashKey.New(tenantId, clock.GetUtcNow());
        // In a transaction, as every tenant write is (it holds the tenant's place on the shard against a move).
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO votes.voter_hash_keys (tenant_id, key, created_at) VALUES ({made.TenantId}, {made.Key}, {made.CreatedAt}) ON CONFLICT (tenant_id) DO NOTHING",
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return await db.VoterHashKeys.AsNoTracking().SingleAsync(k => k.TenantId == tenantId, cancellationToken);
    }
}
