using CsvHelper;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Shared.Http;

/// <summary>
/// A download of rows as CSV (CsvHelper: RFC 4180 quoting and CRLF line ends, UTF-8 without a byte order mark),
/// written while the rows are read: the response holds a buffer, never the file. A cell that a spreadsheet would run
/// as a formula (starting with =, +, -, @) is escaped with a leading apostrophe. A failure after the first bytes
/// can only cut the download short.
/// </summary>
public sealed class CsvAttachment(string fileName, string[] header, IAsyncEnumerable<string[]> rows) : IResult
{
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.CacheControl = "private, no-store";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        var cancellationToken = httpContext.RequestAborted;
        await using var csv = CsvWriter.Create(response.Body, Options, leaveOpen: true);
        await csv.WriteRecordAsync(header, cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await csv.WriteRecordAsync(row, cancellationToken);
        }
        await csv.FlushAsync(cancellationToken);
    }
}
