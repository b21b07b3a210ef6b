using System.Reflection;
using NetArchTest.Rules;

namespace ArchitectureTests;

/// <summary>
/// The rules that keep modules separable: a module sees only Shared's projects and other modules' Contracts, and
/// shows the rest of the world nothing but its entry point; Shared's projects are layered and know no module.
/// </summary>
public sealed class ModuleBoundaryTests
{
    private static readonly string[] Modules = ["Identity", "Polls", "Votes", "Webhooks"];

    /// <summary>The modules others depend on; Webhooks only listens, so it has no contracts to offer.</summary>
    private static readonly string[] WithContracts = ["Identity", "Polls", "Votes"];

    /// <summary>Shared's projects, each with the ones it may build on: the web building blocks at the bottom, then the
    /// cache, the databases, the tenancy over them, and what runs on the tenants' shards.</summary>
    private static readonly Dictionary<string, string[]> SharedLayers = new()
    {
        ["Shared.Web"] = [],
        ["Shared.Caching"] = ["Shared.Web"],
        ["Shared.RateLimiting"] = ["Shared.Web", "Shared.Caching"],
        ["Shared.Data"] = ["Shared.Web"],
        ["Shared.Tenancy"] = ["Shared.Web", "Shared.Caching", "Shared.Data"],
        ["Shared.Messaging"] = ["Shared.Web", "Shared.Data", "Shared.Tenancy"],
        ["Shared.Idempotency"] = ["Shared.Web", "Shared.Data", "Shared.Tenancy"],
    };

    private static readonly HashSet<string> OurAssemblies =
        [.. Modules, .. WithContracts.Select(m => m + ".Contracts"), .. SharedLayers.Keys, "Host"];

    public static TheoryData<string> ModuleNames => new(Modules);

    public static TheoryData<string> ContractModuleNames => new(WithContracts);

    public static TheoryData<string> SharedProjects => new(SharedLayers.Keys);

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    private static IEnumerable<string> OurReferences(string assembly) =>
        Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).Where(OurAssemblies.Contains);

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void A_module_references_only_Shared_and_contracts(string module)
    {
        var forbidden = OurReferences(module).Where(name => !SharedLayers.ContainsKey(name) && !name.EndsWith(".Contracts", StringComparison.Ordinal));
        Assert.Empty(forbidden);
    }

    [Theory]
    [MemberData(nameof(ContractModuleNames))]
    public void Contracts_reference_no_module_implementation(string module)
    {
        var forbidden = OurReferences(module + ".Contracts").Where(name => Modules.Contains(name) || name == "Host");
        Assert.Empty(forbidden);
    }

    [Theory]
    [MemberData(nameof(SharedProjects))]
    public void A_shared_project_knows_no_module_and_builds_only_on_the_layers_below_it(string project) =>
        Assert.Empty(OurReferences(project).Except(SharedLayers[project]));

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void A_modules_only_public_types_are_its_entry_point_and_its_message_handlers(string module)
    {
        var exported = Load(module).GetExportedTypes().Where(t => !IsMessageHandler(t)).Select(t => t.FullName).ToList();
        Assert.Equal([$"{module}.{module}Module"], exported);
    }

    /// <summary>
    /// Wolverine calls only public handlers, so these are public; nothing else may be. A handler is a static class
    /// named for handling, whose only public methods are its <c>Handle</c> overloads.
    /// </summary>
    private static bool IsMessageHandler(Type type) =>
        type is { IsAbstract: true, IsSealed: true } && type.Name.EndsWith("Handler", StringComparison.Ordinal)
        && type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).All(m => m.Name == "Handle");

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Module_classes_are_sealed_or_static(string module)
    {
        var open = Load(module).GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && !t.IsSealed && !t.IsNested && t.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null)
            .Where(t => t.Namespace?.EndsWith(".Migrations", StringComparison.Ordinal) != true)
            .Select(t => t.FullName);
        Assert.Empty(open);
    }

    /// <summary>
    /// A module's domain is its rules: it knows neither how they are stored (its Data), nor how they are asked for
    /// (its Features), nor HTTP. Shared's building blocks (tenant ownership, say) are allowed.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void A_modules_domain_depends_on_neither_its_data_nor_its_features_nor_aspnetcore(string module)
    {
        var result = Types.InAssembly(Load(module)).That().ResideInNamespace($"{module}.Domain")
            .ShouldNot().HaveDependencyOnAny($"{module}.Data", $"{module}.Features", "Microsoft.AspNetCore").GetResult();
        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>
    /// Shared sits below the modules and speaks none of their language: no public type or member of it is named after
    /// a module's concept (a public route names "a resource", a problem code of Votes' is Votes'). Words are read from
    /// PascalCase names, so "PollInterval" (polling, a verb) still counts and is listed below with why it stays.
    /// </summary>
    [Fact]
    public void Shared_names_no_module_concept()
    {
        string[] concepts = ["Poll", "Polls", "Vote", "Votes", "Voted", "Ballot", "Ballots", "Webhook", "Webhooks", "Member", "Members"];
        string[] allowed =
        [
            // A messaging relay polls (the verb) for work; these are its settings' names in configuration.
            "MessagingOptions.PollIntervalMilliseconds", "MessagingOptions.OwnershipPollMilliseconds",
            // Rate-limit policies are named by the kind of caller, and operators set them by these names in configuration.
            "RateLimitPolicies.Votes", "RateLimitPolicies.Members",
        ];
        var names = SharedLayers.Keys.SelectMany(project => Load(project).GetExportedTypes()).SelectMany(type => type
            .GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(member => member is not MethodBase { IsSpecialName: true })
            .Select(member => $"{type.Name}.{member.Name}").Prepend(type.Name));
        var offending = names.Distinct()
            .Where(name => !allowed.Contains(name))
            .Where(name => System.Text.RegularExpressions.Regex.Matches(name, "[A-Z][a-z]+").Any(word => concepts.Contains(word.Value)));
        Assert.Empty(offending);
    }
}
