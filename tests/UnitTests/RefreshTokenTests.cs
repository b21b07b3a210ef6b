using Identity.Domain;

namespace UnitTests;

public sealed class RefreshTokenTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static RefreshToken Token() => RefreshToken.StartFamily(Guid.NewGuid(), Guid.NewGuid(), [1, 2, 3], Now, TimeSpan.FromDays(1));

    [Fact]
    public void A_token_is_redeemable_once_and_a_second_redemption_is_reuse()
    {
        var token = Token();
        Assert.Equal(RefreshRedemption.Accepted, token.Redeem(Now.AddMinutes(1)));
        Assert.Equal(RefreshRedemption.Reused, token.Redeem(Now.AddMinutes(2)));
    }

    [Fact]
    public void An_expired_token_is_refused() =>
        Assert.Equal(RefreshRedemption.Expired, Token().Redeem(Now.AddDays(1)));

    [Fact]
    public void The_successor_stays_in_the_family_with_a_fresh_lifetime()
    {
        var token = Token();
        var next = token.Successor([4, 5, 6], Now.AddHours(1), TimeSpan.FromDays(1));
        Assert.Equal(token.FamilyId, next.FamilyId);
        Assert.Equal(token.MemberId, next.MemberId);
        Assert.NotEqual(token.Id, next.Id);
        Assert.Equal(Now.AddHours(1).AddDays(1), next.ExpiresAt);
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("daily-news", true)]
    [InlineData("ab", false)]
    [InlineData("-abc", false)]
    [InlineData("Abc", false)]
    [InlineData("a_bc", false)]
    public void Slugs_follow_the_published_pattern(string slug, bool valid) => Assert.Equal(valid, Tenant.IsValidSlug(slug));
}
