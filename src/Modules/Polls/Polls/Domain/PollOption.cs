namespace Polls.Domain;

/// <summary>One answer a voter can choose. Its id is what a ballot names.</summary>
internal sealed class PollOption
{
    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public int Position { get; private set; }
    public string Text { get; private set; } = "";

    private PollOption()
    {
    }

    public static PollOption Create(Guid tenantId, int position, string text, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, Position = position, Text = text.Trim() };
}
