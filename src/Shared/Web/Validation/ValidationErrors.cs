using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Problems;

namespace Shared.Validation;

/// <summary>Collects field errors so that a client learns every problem with its request at once.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            messages = [];
            _errors[field] = messages;
        }
        messages.Add(message);
        return this;
    }

    /// <summary>Checks a required string: present, not blank, and at most <paramref name="maxLength"/> characters.</summary>
    public bool RequireText(string field, string? value, int maxLength, int minLength = 1)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "This field is required.");
            return false;
        }
        return OptionalText(field, value, maxLength, minLength);
    }

    /// <summary>Checks an optional string's length when it is present.</summary>
    public bool OptionalText(string field, string? value, int maxLength, int minLength = 0)
    {
        if (value is null)
        {
            return true;
        }
        if (value.Length > maxLength)
        {
            Add(field, $"Must be at most {maxLength} characters.");
            return false;
        }
        if (value.Length < minLength)
        {
            Add(field, $"Must be at least {minLength} characters.");
            return false;
        }
        return true;
    }

    public bool Require<T>(string field, T? value) where T : struct
    {
        if (value is null)
        {
            Add(field, "This field is required.");
            return false;
        }
        return true;
    }

    public ValidationProblem ToProblem() =>
        ApiProblem.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
