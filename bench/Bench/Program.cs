using Bench;

// bench baseline-server URL        a bare minimal-API endpoint, the HTTP baseline
// bench report API API_L2 API_LIMITED BASELINE PG SECONDS   runs every scenario against running servers and prints the report
//                                              (API_L2: an instance that keeps no local cache copies; API_LIMITED: one with rate limits on)
// bench get URL[,URL...] RATE|max SECONDS one GET route (its URLs in turn) under the lean generator, open loop at RATE/s or closed loop
// bench wolverine-votes PG SECONDS          only the tally through Wolverine's batched handling (part of the report)
return args switch
{
    ["baseline-server", var url] => await BaselineServer.RunAsync(url),
    ["report", var api, var apiFromRedis, var apiLimited, var baseline, var postgres, var seconds] =>
        await Report.RunAsync(new Uri(api), new Uri(apiFromRedis), new Uri(apiLimited), new Uri(baseline), postgres, int.Parse(seconds)),
    ["wolverine-votes", var postgres, var seconds] => await Report.PrintWolverineVotesAsync(postgres, int.Parse(seconds), votesPerSecond: null),
    ["get", var urls, var rate, var seconds] => await ReadsScenario.GetAsync(urls.Split(',').Select(url => new Uri(url)).ToList(), rate == "max" ? null : double.Parse(rate), int.Parse(seconds)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Bench baseline-server URL | Bench report API_URL API_L2_URL API_LIMITED_URL BASELINE_URL PG_CONNECTION SECONDS | Bench get URL[,URL...] RATE|max SECONDS | Bench wolverine-votes PG_CONNECTION SECONDS");
    return 2;
}
