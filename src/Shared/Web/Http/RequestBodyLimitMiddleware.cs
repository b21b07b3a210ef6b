using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Shared.Http;

/// <summary>
/// Refuses request bodies over the configured size with 413. A declared Content-Length is refused before
/// anything is read; a chunked body is cut off by the server's own limit once it passes the size.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, long maxBodyBytes)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > maxBodyBytes)
        {
            throw new BadHttpRequestException(
                $"The request body is larger than {maxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBodyBytes;
        }
        return next(context);
    }
}
