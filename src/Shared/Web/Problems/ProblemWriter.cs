using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Shared.Problems;

/// <summary>Writes a problem+json body from places that have no endpoint result to return (middleware, auth events).</summary>
public static class ProblemWriter
{
    public static ValueTask WriteAsync(HttpContext context, int status, string code, string title, string? detail = null)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = ApiProblem.Details(status, code, title, detail),
        });
    }
}
