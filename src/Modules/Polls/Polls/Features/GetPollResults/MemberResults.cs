using System.Security.Claims;
using Identity.Contracts;
using Polls.Data;
using Votes.Contracts;

namespace Polls.Features.GetPollResults;

/// <summary>A poll's results as its tenant's members see them, whatever the poll's visibility: for the JSON route and the CSV export.</summary>
internal static class MemberResults
{
    /// <summary>Null when the caller's tenant has no such poll.</summary>
    public static async Task<(Guid PollId, PollResultsView View)?> CountAsync(
        string pollId, ClaimsPrincipal principal, PollsDbContext db, IPollResults results, CancellationToken cancellationToken)
    {
        var tenantId = TenantMember.From(principal).TenantId;
        var poll = await db.Polls.FindForTenantAsync(tenantId, pollId, cancellationToken);
        if (poll is null)
        {
            return null;
        }
        var options = poll.Options.OrderBy(o => o.Position).Select(o => (o.Id, o.Text)).ToList();
        return (poll.Id, await results.CountAsync(tenantId, poll.Id, options, cancellationToken));
    }
}
