using System.Text;
using Webhooks.Delivery;
using Webhooks.Domain;

namespace UnitTests;

public sealed class WebhookSignatureTests
{
    // The Standard Webhooks specification's published example, also checked here with openssl's HMAC.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

    [Fact]
    public void A_delivery_is_signed_as_the_specification_signs_it() =>
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.Sign(Id, Timestamp, Body, [Secret]));

    [Fact]
    public void During_a_rotation_each_secret_adds_a_signature_separated_by_a_space()
    {
        var other = WebhookSecret.Generate();
        var signatures = WebhookSignature.Sign(Id, Timestamp, Body, [other, Secret]).Split(' ');
        Assert.Equal([WebhookSignature.Sign(Id, Timestamp, Body, [other]), WebhookSignature.Sign(Id, Timestamp, Body, [Secret])], signatures);
    }

    [Fact]
    public void A_different_id_timestamp_or_body_gives_a_different_signature()
    {
        var signature = WebhookSignature.Sign(Id, Timestamp, Body, [Secret]);
        Assert.NotEqual(signature, WebhookSignature.Sign(Id + "x", Timestamp, Body, [Secret]));
        Assert.NotEqual(signature, WebhookSignature.Sign(Id, Timestamp + 1, Body, [Secret]));
        Assert.NotEqual(signature, WebhookSignature.Sign(Id, Timestamp, [.. Body, (byte)' '], [Secret]));
    }

    [Fact]
    public void A_generated_secret_holds_a_32_byte_key()
    {
        var secret = WebhookSecret.Generate();
        Assert.StartsWith(WebhookSecret.Prefix, secret);
        Assert.Equal(32, WebhookSecret.KeyOf(secret).Length);
        Assert.True(secret.Length <= WebhookSecret.MaxLength);
    }
}
