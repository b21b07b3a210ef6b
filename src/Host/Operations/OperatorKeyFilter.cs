using System.Security.Cryptography;
using System.Text;
using Shared.Problems;

namespace Host.Operations;

/// <summary>
/// Guards operator routes with <c>X-Operator-Key</c> (configuration <c>Operator:ApiKey</c>). Tenant credentials
/// mean nothing here: a tenant admin is not an operator. With no key configured, every request is refused.
/// </summary>
internal sealed class OperatorKeyFilter(IConfiguration configuration) : IEndpointFilter
{
    public const string HeaderName = "X-Operator-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = configuration["Operator:ApiKey"];
        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(expected) || !FixedTimeEquals(presented, expected))
        {
            return ApiProblem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.InvalidToken, "Unauthorized",
                $"Operator routes need a valid {HeaderName}.");
        }
        return await next(context);
    }

    private static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
