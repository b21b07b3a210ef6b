using Shared.Validation;

namespace Polls.Domain;

/// <summary>The rules a poll's definition must keep, whether it is being created or edited.</summary>
internal static class PollRules
{
    public const int QuestionMaxLength = 500;
    public const int DescriptionMaxLength = 2000;
    public const int OptionTextMaxLength = 200;
    public const int MinOptions = 2;
    public const int MaxOptions = 20;

    public static void Check(PollDraft draft, DateTimeOffset now, ValidationErrors errors)
    {
        errors.RequireText("question", draft.Question, QuestionMaxLength);
        errors.OptionalText("description", draft.Description, DescriptionMaxLength);
        CheckOptions(draft.Options, errors);
        if (draft.MinChoices < 1)
        {
            errors.Add("minChoices", "Must be at least 1.");
        }
        if (draft.MaxChoices < draft.MinChoices)
        {
            errors.Add("maxChoices", "Must be at least minChoices.");
        }
        else if (draft.MaxChoices > draft.Options.Count)
        {
            errors.Add("maxChoices", "Must be at most the number of options.");
        }
        if (draft.ClosesAt is { } closesAt)
        {
            if (closesAt <= now)
            {
                errors.Add("closesAt", "Must be in the future.");
            }
            if (draft.OpensAt is { } opensAt && closesAt <= opensAt)
            {
                errors.Add("closesAt", "Must be after opensAt.");
            }
        }
    }

    private static void CheckOptions(IReadOnlyList<string> options, ValidationErrors errors)
    {
        if (options.Count is < MinOptions or > MaxOptions)
        {
            errors.Add("options", $"A poll has {MinOptions} to {MaxOptions} options.");
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Count; i++)
        {
            if (errors.RequireText($"options[{i}].text", options[i], OptionTextMaxLength) && !seen.Add(options[i].Trim()))
            {
                errors.Add($"options[{i}].text", "Repeats another option.");
            }
        }
    }
}
