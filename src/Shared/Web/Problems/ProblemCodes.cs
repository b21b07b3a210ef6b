namespace Shared.Problems;

/// <summary>
/// The stable, machine-readable <c>code</c> values that clients switch on (API.md) that any module may answer. A
/// module's own (a poll not open, say) are its own, registered with <see cref="ModuleProblemCodesSetup.AddProblemCodes"/>.
/// </summary>
public static class ProblemCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string InvalidCredentials = "invalid_credentials";
    public const string InvalidToken = "invalid_token";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string SlugTaken = "slug_taken";
    public const string EmailTaken = "email_taken";
    public const string InvalidTransition = "invalid_transition";
    public const string ResultsHidden = "results_hidden";
    public const string RateLimited = "rate_limited";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string PreconditionFailed = "precondition_failed";
    public const string LimitReached = "limit_reached";
    public const string PayloadTooLarge = "payload_too_large";
    public const string Unavailable = "unavailable";

    // Statuses that API.md gives no code of their own; named here so that every problem has one.
    public const string MethodNotAllowed = "method_not_allowed";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string InternalError = "internal_error";
    public const string IdempotencyKeyInProgress = "idempotency_key_in_progress";

    /// <summary>The code a bare status gets when nothing more specific was said.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => ValidationFailed,
        401 => InvalidToken,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => Unavailable,
        _ => InternalError,
    };
}
