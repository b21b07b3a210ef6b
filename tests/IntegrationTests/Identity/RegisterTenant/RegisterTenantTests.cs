using System.Text;

namespace IntegrationTests.Identity.RegisterTenant;

public sealed class RegisterTenantTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static object Body(string slug, string? password = ApiFixture.Password, string email = "admin@example.com") =>
        new { name = "Daily News", slug, adminEmail = email, adminPassword = password };

    private static string Slug() => "s" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Sign_up_creates_the_tenant_and_an_admin_who_can_log_in()
    {
        var slug = Slug();
        var response = await api.Anonymous().PostAsJsonAsync("/api/tenants", Body(slug));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(slug, body.GetProperty("slug").GetString());

        var tokens = await api.LoginAsync(slug, "ADMIN@example.com", ApiFixture.Password);
        var me = await api.As(tokens.GetProperty("accessToken").GetString()!).GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("admin", me.GetProperty("role").GetString());
        Assert.Equal(body.GetProperty("tenantId").GetGuid(), me.GetProperty("tenantId").GetGuid());
        Assert.Equal("admin@example.com", me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_taken_slug_is_409_and_the_second_admin_is_not_created()
    {
        var slug = Slug();
        (await api.Anonymous().PostAsJsonAsync("/api/tenants", Body(slug))).EnsureSuccessStatusCode();
        var again = await api.Anonymous().PostAsJsonAsync("/api/tenants", Body(slug, email: "intruder@example.com"));
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "slug_taken");

        var login = await api.Anonymous().PostAsJsonAsync("/api/auth/token", new { tenant = slug, email = "intruder@example.com", password = ApiFixture.Password });
        await login.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"slug":"abc-def","adminEmail":"a@b.c","adminPassword":"correct horse battery"}""", "name" },
        { """{"name":"N","adminEmail":"a@b.c","adminPassword":"correct horse battery"}""", "slug" },
        { """{"name":"N","slug":"Bad Slug","adminEmail":"a@b.c","adminPassword":"correct horse battery"}""", "slug" },
        { """{"name":"N","slug":"ab","adminEmail":"a@b.c","adminPassword":"correct horse battery"}""", "slug" },
        { """{"name":"N","slug":"abc-def","adminEmail":"not-an-email","adminPassword":"correct horse battery"}""", "adminEmail" },
        { """{"name":"N","slug":"abc-def","adminEmail":"a@b.c","adminPassword":"short"}""", "adminPassword" },
        { """{"name":"N","slug":"abc-def","adminEmail":"a@b.c"}""", "adminPassword" },
        { $$"""{"name":"{{new string('n', 201)}}","slug":"abc-def","adminEmail":"a@b.c","adminPassword":"correct horse battery"}""", "name" },
        { $$"""{"name":"N","slug":"abc-def","adminEmail":"{{new string('e', 260)}}@b.c","adminPassword":"correct horse battery"}""", "adminEmail" },
        { """{"name":12,"slug":"abc-def","adminEmail":"a@b.c","adminPassword":"correct horse battery"}""", "name" },
        { """{"name":"N","slug":["abc"],"adminEmail":"a@b.c","adminPassword":"correct horse battery"}""", "slug" },
        { """{"name":"N","slug":"abc-def",""", Problems.AnyField },
        { "", "body" },
        { "null", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_sign_ups_are_400_naming_the_field_and_create_nothing(string json, string field)
    {
        var response = await api.Anonymous().PostAsync("/api/tenants", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.AssertInvalidAsync(field);
        var login = await api.Anonymous().PostAsJsonAsync("/api/auth/token", new { tenant = "abc-def", email = "a@b.c", password = "correct horse battery" });
        await login.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var huge = new string('x', 70 * 1024);
        var response = await api.Anonymous().PostAsJsonAsync("/api/tenants", new { name = huge, slug = Slug(), adminEmail = "a@b.c", adminPassword = ApiFixture.Password });
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await api.Anonymous().PostAsync("/api/tenants", new StringContent("name=x", Encoding.UTF8, "text/plain"));
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }
}
