using System.ComponentModel;
using Polls.Contracts;
using Polls.Domain;
using Shared.OpenApi;

namespace Polls.Features;

/// <summary>
/// The body of a create or an edit. On create, question, options, resultsVisibility and duplicateCheck are required;
/// on edit, a field left out (or null) keeps its value, and an empty description removes it.
/// </summary>
[RequestBody]
internal sealed record PollFields(
    string? Question,
    [property: OptionalField] string? Description,
    IReadOnlyList<OptionFields?>? Options,
    [property: OptionalField, DefaultValue(1)] int? MinChoices,
    [property: OptionalField, DefaultValue(1)] int? MaxChoices,
    [property: OptionalField] DateTimeOffset? OpensAt,
    [property: OptionalField] DateTimeOffset? ClosesAt,
    ResultsVisibility? ResultsVisibility,
    DuplicateCheck? DuplicateCheck)
{
    /// <summary>
    /// This body applied over <paramref name="current"/> (null on create, when <see cref="PollFieldsValidator"/> has
    /// found every required field).
    /// </summary>
    public PollDraft Over(PollDraft? current)
    {
        return new PollDraft(
            Question ?? current!.Question,
            Description ?? current?.Description,
            Options?.Select(o => o?.Text ?? "").ToList() ?? current!.Options,
            MinChoices ?? current?.MinChoices ?? 1,
            MaxChoices ?? current?.MaxChoices ?? 1,
            OpensAt ?? current?.OpensAt,
            ClosesAt ?? current?.ClosesAt,
            ResultsVisibility ?? current!.ResultsVisibility,
            DuplicateCheck ?? current!.DuplicateCheck);
    }
}

[RequestBody]
internal sealed record OptionFields(string? Text);
