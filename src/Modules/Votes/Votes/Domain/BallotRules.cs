using System.Net;
using Polls.Contracts;
using Shared.Validation;

namespace Votes.Domain;

/// <summary>The rules a ballot must keep for a given poll, and who it counts as for the duplicate check.</summary>
internal static class BallotRules
{
    public static void Check(PollReplica poll, IReadOnlyList<Guid>? optionIds, string? voterKey, ValidationErrors errors)
    {
        if (optionIds is null || optionIds.Count == 0)
        {
            errors.Add("optionIds", "Choose at least one option.");
        }
        else
        {
            var known = poll.Options.Select(o => o.Id).ToHashSet();
            if (optionIds.Distinct().Count() != optionIds.Count)
            {
                errors.Add("optionIds", "An option is chosen more than once.");
            }
            if (optionIds.Any(id => !known.Contains(id)))
            {
                errors.Add("optionIds", "An option is not one of this poll's.");
            }
            if (optionIds.Count < poll.MinChoices || optionIds.Count > poll.MaxChoices)
            {
                errors.Add("optionIds", poll.MinChoices == poll.MaxChoices
                    ? $"Choose exactly {poll.MinChoices}."
                    : $"Choose between {poll.MinChoices} and {poll.MaxChoices}.");
            }
        }
        if (voterKey is null)
        {
            if (poll.DuplicateCheck == DuplicateCheck.Voter)
            {
                errors.Add("voterKey", "This poll requires a voterKey.");
            }
        }
        else
        {
            errors.RequireText("voterKey", voterKey, Vote.VoterKeyMaxLength);
        }
    }

    /// <summary>The identity a duplicate is recognised by, or null when the poll allows repeats.</summary>
    public static string? DedupeKey(DuplicateCheck check, string? voterKey, IPAddress? clientAddress) => check switch
    {
        DuplicateCheck.Voter => "voter:" + voterKey,
        DuplicateCheck.Ip => "ip:" + (clientAddress?.ToString() ?? "unknown"),
        _ => null,
    };
}
