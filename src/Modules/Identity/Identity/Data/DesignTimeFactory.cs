using Shared.Data;

namespace Identity.Data;

internal sealed class DesignTimeFactory() : ModuleDesignTimeFactory<IdentityDbContext>(IdentityDbContext.Schema, options => new IdentityDbContext(options));
