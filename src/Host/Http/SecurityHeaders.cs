namespace Host.Http;

/// <summary>
/// Headers that keep browsers from misreading the API's answers: no content sniffing, no referrer sent on, and a
/// content security policy. An answer of the API is data, never a page, so its policy allows nothing; the Scalar
/// page gets one that lets it run its own script (served by the Host, plus its inline set-up), styles and the
/// document fetch, and nothing from elsewhere. Inline script and style are allowed there because Scalar starts from an
/// inline module script with its settings and styles its elements inline (the browser test fails without either).
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    public const string ReferencePagePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private const string ReferencePage = "/scalar";

    public Task InvokeAsync(HttpContext context)
    {
        // Set as the response starts: an error handler clears the headers of a response it replaces.
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments(ReferencePage) ? ReferencePagePolicy : ApiPolicy;
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
