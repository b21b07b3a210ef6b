using Microsoft.Extensions.DependencyInjection;

namespace Shared.Problems;

/// <summary>The problem codes one module answers besides <see cref="ProblemCodes"/>'s, for the API document's list of codes.</summary>
public sealed record ModuleProblemCodes(IReadOnlyList<string> Codes);

public static class ModuleProblemCodesSetup
{
    public static IServiceCollection AddProblemCodes(this IServiceCollection services, params string[] codes) =>
        services.AddSingleton(new ModuleProblemCodes(codes));
}
