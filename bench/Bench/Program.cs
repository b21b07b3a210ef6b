using Bench;

// bench baseline-server URL        a bare minimal-API endpoint, the HTTP baseline
// bench report API BASELINE PG SECONDS   runs every scenario against running servers and prints the report
return args switch
{
    ["baseline-server", var url] => await BaselineServer.RunAsync(url),
    ["report", var api, var baseline, var postgres, var seconds] => await Report.RunAsync(new Uri(api), new Uri(baseline), postgres, int.Parse(seconds)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Bench baseline-server URL | Bench report API_URL BASELINE_URL PG_CONNECTION SECONDS");
    return 2;
}
