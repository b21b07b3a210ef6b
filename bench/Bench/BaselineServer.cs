namespace Bench;

/// <summary>
/// The HTTP baselines: the cheapest useful minimal-API endpoints, with no database, logging or middleware: a
/// vote-sized POST answered with a vote-sized 201, and a GET answering JSON of a requested size (the size of the
/// route it stands beside). The product's routes are reported as a ratio of them.
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
        var bodies = new System.Collections.Concurrent.ConcurrentDictionary<int, byte[]>();
        app.MapGet("/json/{size:int}", (int size) => TypedResults.Bytes(
            bodies.GetOrAdd(size, n => System.Text.Encoding.UTF8.GetBytes($"{{\"pad\":\"{new string('x', Math.Max(0, n - 10))}\"}}")), "application/json"));
        await app.RunAsync();
        return 0;
    }
}

internal sealed record BaselineVote(Guid[] OptionIds, string? VoterKey);

internal sealed record BaselineReceipt(Guid VoteId, Guid PollId, Guid[] OptionIds, DateTimeOffset CastAt);
