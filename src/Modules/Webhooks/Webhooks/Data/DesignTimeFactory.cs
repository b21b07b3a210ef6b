using Shared.Data;

namespace Webhooks.Data;

internal sealed class DesignTimeFactory() : ModuleDesignTimeFactory<WebhooksDbContext>(WebhooksDbContext.Schema, options => new WebhooksDbContext(options));
