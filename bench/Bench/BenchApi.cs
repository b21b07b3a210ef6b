using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

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
        (await http.PostAsJsonAsync(new Uri(api, "/api/tenants"), new { name = slug, slug, adminEmail = $"a@{slug}.example", adminPassword = password })).EnsureSuccessStatusCode();
        var login = await http.PostAsJsonAsync(new Uri(api, "/api/auth/token"), new { tenant = slug, email = $"a@{slug}.example", password });
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>A poll created and opened, once the public can see it.</summary>
    public static async Task<(Guid PollId, Guid[] Options)> OpenPollAsync(HttpClient http, Uri api, string token)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "/api/polls"))
        {
            Content = JsonContent.Create(new
            {
                question = "Benchmark?",
                options = new[] { new { text = "A" }, new { text = "B" }, new { text = "C" } },
                resultsVisibility = "always",
                duplicateCheck = "none",
            }),
        };
        create.Headers.Authorization = new("Bearer", token);
        var poll = await (await http.SendAsync(create)).Content.ReadFromJsonAsync<JsonElement>();
        var pollId = poll.GetProperty("id").GetGuid();
        using var open = new HttpRequestMessage(HttpMethod.Post, new Uri(api, $"/api/polls/{pollId}/open"));
        open.Headers.Authorization = new("Bearer", token);
        (await http.SendAsync(open)).EnsureSuccessStatusCode();
        while ((await http.GetAsync(new Uri(api, $"/api/public/polls/{pollId}"))).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(50);
        }
        return (pollId, poll.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToArray());
    }
}
