using Shared.Data;

namespace Polls.Data;

internal sealed class DesignTimeFactory() : ModuleDesignTimeFactory<PollsDbContext>(PollsDbContext.Schema, options => new PollsDbContext(options));
