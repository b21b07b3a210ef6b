namespace Shared.Http;

/// <summary>Ids travel as opaque strings; one that does not parse names nothing, so it is a 404, never a 500.</summary>
public static class RouteId
{
    public static bool TryParse(string? raw, out Guid id) =>
        Guid.TryParseExact(raw, "D", out id) || Guid.TryParseExact(raw, "N", out id);
}
