using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Shared.Problems;

/// <summary>
/// The one place an RFC 9457 problem with the API's <c>code</c> extension is made: as an endpoint result here, by
/// <see cref="ProblemWriter"/> in middleware, and by the Host's exception handler.
/// </summary>
public static class ApiProblem
{
    public const string CodeKey = "code";

    public static ProblemDetails Details(int status, string code, string title, string? detail = null) =>
        new() { Status = status, Title = title, Detail = detail, Extensions = { [CodeKey] = code } };

    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(Details(status, code, title, detail));

    public static ProblemHttpResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", $"{what} was not found.");

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Create(StatusCodes.Status409Conflict, code, "Conflict", detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Forbidden", detail);

    public static ProblemHttpResult PreconditionFailed() =>
        Create(StatusCodes.Status412PreconditionFailed, ProblemCodes.PreconditionFailed, "Precondition failed",
            "The resource has changed since the entity tag in If-Match was issued.");

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            title: "The request is not valid",
            extensions: new Dictionary<string, object?> { [CodeKey] = ProblemCodes.ValidationFailed });
}
