using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shared.Json;

namespace Shared.Http;

/// <summary>A JSON body serialized once, with its content-based ETag: what the hot routes keep in the cache.</summary>
public sealed record SerializedJson(byte[] Body, string Tag)
{
    public static SerializedJson Of<T>(T value)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options);
        return new SerializedJson(body, EntityTag.ForContent(body));
    }
}

/// <summary>
/// A cacheable JSON response: serialized once, tagged, and answered with 304 when the client already holds it.
/// </summary>
public sealed class TaggedJson : IResult
{
    private readonly byte[] _body;
    private readonly string _tag;
    private readonly string? _cacheControl;

    private TaggedJson(byte[] body, string tag, string? cacheControl)
    {
        _body = body;
        _tag = tag;
        _cacheControl = cacheControl;
    }

    /// <summary>Serializes the value and tags it by its content.</summary>
    public static TaggedJson Create<T>(T value, string? cacheControl = null) => Of(SerializedJson.Of(value), cacheControl);

    /// <summary>A response already serialized and tagged, e.g. kept in the cache, written as it is.</summary>
    public static TaggedJson Of(SerializedJson json, string? cacheControl = null) => new(json.Body, json.Tag, cacheControl);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.Headers.ETag = _tag;
        response.Headers.CacheControl = _cacheControl ?? "private, no-cache";
        if (EntityTag.IsNotModified(httpContext.Request, _tag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = _body.Length;
        return response.Body.WriteAsync(_body).AsTask();
    }
}
