using Shared.Data;

namespace Shared.Messaging;

internal sealed class DesignTimeFactory() : ModuleDesignTimeFactory<MessagingDbContext>(MessagingDbContext.Schema, options => new MessagingDbContext(options));
