using Microsoft.EntityFrameworkCore;
using Votes.Contracts;
using Votes.Data;

namespace Votes.Features.CountResults;

/// <summary>Turns a poll's tallies into results: counts per option and each option's share of the ballots.</summary>
internal sealed class PollResultsCounter(VotesDbContext db) : IPollResults
{
    public async Task<PollResultsView> CountAsync(
        Guid tenantId, Guid pollId, IReadOnlyList<(Guid Id, string Text)> options, CancellationToken cancellationToken)
    {
        // One statement, so the total and the per-option counts come from the same snapshot even while a tally
        // batch commits between two reads.
        var rows = await (
                from poll in db.PollTallies.AsNoTracking()
                where poll.TenantId == tenantId && poll.PollId == pollId
                join option in db.OptionTallies.AsNoTracking() on new { poll.TenantId, poll.PollId } equals new { option.TenantId, option.PollId } into byOption
                from option in byOption.DefaultIfEmpty()
                select new { poll.TotalVotes, poll.LastVoteAt, poll.Final, OptionId = (Guid?)option!.OptionId, Votes = (long?)option!.Votes })
            .ToListAsync(cancellationToken);
        var total = rows.FirstOrDefault();
        var counts = rows.Where(r => r.OptionId is not null).ToDictionary(r => r.OptionId!.Value, r => r.Votes!.Value);
        var totalVotes = total?.TotalVotes ?? 0;
        var results = options
            .Select(o =>
            {
                var votes = counts.GetValueOrDefault(o.Id);
                return new OptionResult(o.Id, o.Text, votes, Percent(votes, totalVotes));
            })
            .ToList();
        return new PollResultsView(pollId, totalVotes, results, total?.LastVoteAt, total?.Final ?? false);
    }

    private static double Percent(long votes, long ballots) => ballots == 0 ? 0 : Math.Round(votes * 100.0 / ballots, 1);
}
