namespace Shared.OpenApi;

/// <summary>
/// A request body. Its members are typed nullable so that a missing one reaches validation (and gets its own message)
/// instead of failing to bind; the document says what the server accepts: every member required and non-null
/// unless marked <see cref="OptionalFieldAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequestBodyAttribute : Attribute;

/// <summary>A member of a <see cref="RequestBodyAttribute"/> body that may be left out or null.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class OptionalFieldAttribute : Attribute;
