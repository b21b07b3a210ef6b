using Microsoft.EntityFrameworkCore;
using Votes.Contracts;
using Votes.Data;

namespace Votes;

/// <summary>Turns a poll's tallies into results: counts per option and each option's share of the ballots.</summary>
internal sealed class PollResultsCounter(VotesDbContext db) : IPollResults
{
    public async Task<PollResultsView> CountAsync(
        Guid tenantId, Guid pollId, IReadOnlyList<(Guid Id, string Text)> options, bool final, CancellationToken cancellationToken)
    {
        var total = await db.PollTallies.AsNoTracking()
            .Where(t => t.TenantId == tenantId && t.PollId == pollId)
            .Select(t => new { t.TotalVotes, t.LastVoteAt })
            .SingleOrDefaultAsync(cancellationToken);
        var counts = await db.OptionTallies.AsNoTracking()
            .Where(t => t.TenantId == tenantId && t.PollId == pollId)
            .ToDictionaryAsync(t => t.OptionId, t => t.Votes, cancellationToken);
        var totalVotes = total?.TotalVotes ?? 0;
        var results = options
            .Select(o =>
            {
                var votes = counts.GetValueOrDefault(o.Id);
                return new OptionResult(o.Id, o.Text, votes, Percent(votes, totalVotes));
            })
            .ToList();
        return new PollResultsView(pollId, totalVotes, results, total?.LastVoteAt, final);
    }

    private static double Percent(long votes, long ballots) => ballots == 0 ? 0 : Math.Round(votes * 100.0 / ballots, 1);
}
