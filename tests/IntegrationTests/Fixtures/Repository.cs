namespace IntegrationTests.Fixtures;

/// <summary>Where this repository's checkout is: the folder above the test binaries that holds the solution.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModularMonolith.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("No ModularMonolith.sln above the test binaries.");
    }
}
