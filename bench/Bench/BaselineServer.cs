namespace Bench;

/// <summary>
/// The HTTP baseline: the cheapest useful minimal-API endpoint, answering a vote-sized POST with a vote-sized
/// 201, with no database, logging or middleware. The product's routes are reported as a ratio of it.
/// </summary>
internal static class BaselineServer
{
    public static async Task<int> RunAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapPost("/votes", (BaselineVote vote) => TypedResults.Created((string?)null,
            new BaselineReceipt(Guid.CreateVersion7(), Guid.Empty, vote.OptionIds, DateTimeOffset.UtcNow)));
        await app.RunAsync();
        return 0;
    }
}

internal sealed record BaselineVote(Guid[] OptionIds, string? VoterKey);

internal sealed record BaselineReceipt(Guid VoteId, Guid PollId, Guid[] OptionIds, DateTimeOffset CastAt);
