using System.Net;
using System.Text;
using ApiClient;

namespace Bench;

/// <summary>The API calls the scenarios set up with: a tenant, an open poll, a vote.</summary>
internal static class BenchApi
{
    public static Func<Task<bool>> Vote(HttpClient http, Uri route, Guid[] options)
    {
        var next = 0;
        return async () =>
        {
            var option = options[Interlocked.Increment(ref next) % options.Length];
            using var content = new StringContent($"{{\"optionIds\":[\"{option}\"]}}", Encoding.UTF8, "application/json");
            try
            {
                using var response = await http.PostAsync(route, content);
                return response.StatusCode == HttpStatusCode.Created;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        };
    }

    /// <summary>A new tenant, signed up and logged in as its admin; returns the admin's access token.</summary>
    public static async Task<string> SetUpTenantAsync(HttpClient http, Uri api)
    {
        var slug = "bench-" + Guid.NewGuid().ToString("N")[..10];
        const string password = "benchmark passphrase";
        var script = new PollingApi(http, api);
        await script.SignUpAsync(slug, $"a@{slug}.example", password);
        return (await script.LogInAsync(slug, $"a@{slug}.example", password)).AccessToken;
    }

    /// <summary>A poll created and opened, once the public can see it.</summary>
    public static async Task<(Guid PollId, Guid[] Options)> OpenPollAsync(HttpClient http, Uri api, string token)
    {
        var script = new PollingApi(http, api);
        var poll = await script.CreatePollAsync(token, new
        {
            question = "Benchmark?",
            options = new[] { new { text = "A" }, new { text = "B" }, new { text = "C" } },
            resultsVisibility = "always",
            duplicateCheck = "none",
        });
        var pollId = poll.GetProperty("id").GetGuid();
        await script.OpenPollAsync(token, pollId);
        return (pollId, poll.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToArray());
    }
}
