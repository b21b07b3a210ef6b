using Polls.Domain;
using Shared.Validation;

namespace Polls.Features;

/// <summary>
/// The checks on a create or an edit body: on create, the fields it requires; then the poll rules on the draft the
/// body makes over the poll as it is.
/// </summary>
internal static class PollFieldsValidator
{
    /// <summary>The draft the body makes over <paramref name="current"/> (null on create), or null with the errors that stop it.</summary>
    public static (PollDraft? Draft, ValidationErrors Errors) Validate(PollFields request, PollDraft? current, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (current is null)
        {
            errors.RequireText("question", request.Question, PollRules.QuestionMaxLength);
            if (request.Options is null)
            {
                errors.Add("options", "This field is required.");
            }
            errors.Require("resultsVisibility", request.ResultsVisibility);
            errors.Require("duplicateCheck", request.DuplicateCheck);
            if (errors.Any)
            {
                return (null, errors);
            }
        }
        var draft = request.Over(current);
        PollRules.Check(draft, now, errors);
        return (errors.Any ? null : draft, errors);
    }
}
