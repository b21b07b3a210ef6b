using System.Text.Json.Nodes;

namespace IntegrationTests.Fixtures;

public static class PollBodies
{
    /// <summary>A valid create body, with any fields of <paramref name="overrides"/> put over it (null values included).</summary>
    public static JsonObject Valid(object? overrides = null)
    {
        var body = new JsonObject
        {
            ["question"] = "Which is best?",
            ["options"] = new JsonArray(new JsonObject { ["text"] = "Red" }, new JsonObject { ["text"] = "Green" }, new JsonObject { ["text"] = "Blue" }),
            ["resultsVisibility"] = "always",
            ["duplicateCheck"] = "voter",
        };
        if (overrides is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(overrides)!.AsObject())
            {
                body[key] = value?.DeepClone();
            }
        }
        return body;
    }

    public static Guid Id(this JsonElement poll) => poll.GetProperty("id").GetGuid();

    public static Guid OptionId(this JsonElement poll, int index) => poll.GetProperty("options")[index].GetProperty("id").GetGuid();
}
