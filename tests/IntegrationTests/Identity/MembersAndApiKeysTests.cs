namespace IntegrationTests.Identity;

public sealed class MembersAndApiKeysTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task An_admin_adds_members_and_a_repeated_email_is_409()
    {
        var tenant = await api.NewTenantAsync();
        var added = await tenant.Admin().PostAsJsonAsync("/api/users", new { email = "Reporter@Example.com", password = ApiFixture.Password, role = "editor" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var member = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("reporter@example.com", member.GetProperty("email").GetString());
        Assert.Equal("editor", member.GetProperty("role").GetString());
        Assert.False(member.TryGetProperty("passwordHash", out _));

        var again = await tenant.Admin().PostAsJsonAsync("/api/users", new { email = "reporter@example.com", password = ApiFixture.Password, role = "viewer" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "email_taken");
    }

    [Fact]
    public async Task The_same_email_may_belong_to_members_of_different_tenants()
    {
        var one = await api.NewTenantAsync();
        var two = await api.NewTenantAsync();
        foreach (var tenant in new[] { one, two })
        {
            var added = await tenant.Admin().PostAsJsonAsync("/api/users", new { email = "shared@example.com", password = ApiFixture.Password, role = "viewer" });
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }
    }

    [Theory]
    [InlineData("editor")]
    [InlineData("viewer")]
    public async Task Only_admins_manage_members_and_keys(string role)
    {
        var tenant = await api.NewTenantAsync();
        var member = await tenant.MemberAsync(role);
        await (await member.PostAsJsonAsync("/api/users", new { email = "x@example.com", password = ApiFixture.Password, role = "admin" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await member.GetAsync("/api/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await member.PostAsJsonAsync("/api/api-keys", new { name = "k", role = "admin" })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await member.GetAsync("/api/api-keys")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await member.DeleteAsync($"/api/api-keys/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("""{"password":"correct horse battery","role":"editor"}""", "email")]
    [InlineData("""{"email":"a@b.c","password":"short","role":"editor"}""", "password")]
    [InlineData("""{"email":"a@b.c","password":"correct horse battery"}""", "role")]
    [InlineData("""{"email":"a@b.c","password":"correct horse battery","role":"owner"}""", "role")]
    [InlineData("""{"email":"a@b.c","password":"correct horse battery","role":1}""", "role")]
    [InlineData("""{"email":"a@b.c","password":12,"role":"editor"}""", "password")]
    [InlineData("""{"email":""", Problems.AnyField)]
    public async Task Invalid_member_bodies_are_400(string json, string field)
    {
        var tenant = await api.NewTenantAsync();
        var response = await tenant.Admin().PostAsync("/api/users", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertInvalidAsync(field);
        var members = await tenant.Admin().GetFromJsonAsync<JsonElement>("/api/users");
        Assert.Equal(1, members.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Members_are_listed_newest_first_in_keyset_pages()
    {
        var tenant = await api.NewTenantAsync();
        for (var i = 0; i < 4; i++)
        {
            await tenant.MemberAsync("viewer");
        }
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await tenant.Admin().GetFromJsonAsync<JsonElement>($"/api/users?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("userId").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.OrderDescending(), seen);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task Bad_paging_parameters_are_400(string query, string field)
    {
        var tenant = await api.NewTenantAsync();
        await (await tenant.Admin().GetAsync("/api/users?" + query)).AssertInvalidAsync(field);
        await (await tenant.Admin().GetAsync("/api/api-keys?" + query)).AssertInvalidAsync(field);
    }

    [Fact]
    public async Task A_paging_parameter_of_the_wrong_type_is_400()
    {
        var tenant = await api.NewTenantAsync();
        var response = await tenant.Admin().GetAsync("/api/users?limit=ten");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task An_api_key_is_shown_once_works_with_its_role_and_stops_working_when_revoked()
    {
        var tenant = await api.NewTenantAsync();
        var created = await tenant.Admin().PostAsJsonAsync("/api/api-keys", new { name = "cms", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var key = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("id").GetGuid();

        var listed = await tenant.Admin().GetStringAsync("/api/api-keys");
        Assert.Contains(id.ToString(), listed);
        Assert.DoesNotContain(key, listed);

        var server = api.WithApiKey(key);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/api/polls")).StatusCode);
        await (await server.PostAsJsonAsync("/api/polls", PollBodies.Valid())).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await server.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Admin().DeleteAsync($"/api/api-keys/{id}")).StatusCode);
        await (await server.GetAsync("/api/polls")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task An_editor_key_writes_polls_for_its_own_tenant()
    {
        var tenant = await api.NewTenantAsync();
        var created = await tenant.Admin().PostAsJsonAsync("/api/api-keys", new { name = "cms", role = "editor" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var poll = await api.WithApiKey(key).PostAsJsonAsync("/api/polls", PollBodies.Valid());
        Assert.Equal(HttpStatusCode.Created, poll.StatusCode);
        var id = (await poll.Content.ReadFromJsonAsync<JsonElement>()).Id();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin().GetAsync($"/api/polls/{id}")).StatusCode);
    }

    [Fact]
    public async Task Revoking_an_unknown_malformed_or_foreign_key_is_404()
    {
        var tenant = await api.NewTenantAsync();
        var other = await api.NewTenantAsync();
        var foreign = await other.Admin().PostAsJsonAsync("/api/api-keys", new { name = "theirs", role = "admin" });
        var foreignBody = await foreign.Content.ReadFromJsonAsync<JsonElement>();

        await (await tenant.Admin().DeleteAsync($"/api/api-keys/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await tenant.Admin().DeleteAsync("/api/api-keys/not-an-id")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await tenant.Admin().DeleteAsync($"/api/api-keys/{foreignBody.GetProperty("id").GetGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        // The other tenant's key still works.
        Assert.Equal(HttpStatusCode.OK, (await api.WithApiKey(foreignBody.GetProperty("key").GetString()!).GetAsync("/api/users")).StatusCode);
    }

    [Theory]
    [InlineData("""{"role":"viewer"}""", "name")]
    [InlineData("""{"name":"k"}""", "role")]
    [InlineData("""{"name":"k","role":"root"}""", "role")]
    public async Task Invalid_api_key_bodies_are_400(string json, string field)
    {
        var tenant = await api.NewTenantAsync();
        var response = await tenant.Admin().PostAsync("/api/api-keys", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertInvalidAsync(field);
    }
}
