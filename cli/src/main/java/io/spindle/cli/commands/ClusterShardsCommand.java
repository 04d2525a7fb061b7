package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "shards",
        description = "The shards of an entity type in the answering node's region, with their live entities "
                + "(GET /cluster/shards/{type} on the management port).")
public final class ClusterShardsCommand extends ManagementCommand {
    /** The sharded entity type of jobs (JobEntity.ENTITY_KEY). */
    static final String JOB_ENTITY_TYPE = "Job";

    @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE", defaultValue = JOB_ENTITY_TYPE,
            description = "The entity type (default: ${DEFAULT-VALUE}, the job entities).")
    String entityType;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.shards(entityType);
        if (json()) {
            printJson(reply);
            return ExitCodes.OK;
        }
        TextTable table = new TextTable("SHARD", "ENTITIES");
        long entities = 0;
        for (JsonNode r : reply.json().path("regions")) {
            table.row(r.path("shardId").asText(), Long.toString(r.path("numEntities").asLong()));
            entities += r.path("numEntities").asLong();
        }
        if (table.size() == 0) {
            out().println("no shards of " + entityType + " on this node");
        } else {
            table.print(out());
            out().println(table.size() + " shards, " + entities + " entities on this node");
        }
        return ExitCodes.OK;
    }
}
