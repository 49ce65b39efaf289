/**
 * Checks of `client_host` beyond its schema: the topics its role may use are topics this pipeline
 * manages, so its policy never names a topic Terraform does not create.
 */
import { closest } from "../issues";
import { deadLetterQueueOf } from "../schema";
import type { CheckContext, ConfigCheck } from "./context";

/** Each topic of an enabled client host is a topic file's topic or a connector's dead-letter topic. */
function checkClientHostTopics({ envs, connectors, topicByName, refersToInvalidTopic, issueAt }: CheckContext): void {
  const deadLetter = connectors.flatMap((c) => deadLetterQueueOf(c.value)?.topic ?? []);
  const known = [...topicByName.keys(), ...deadLetter];
  for (const { source, value: e } of envs) {
    if (!e.client_host.enabled) continue;
    for (const t of Object.keys(e.client_host.topics)) {
      if (known.includes(t) || refersToInvalidTopic(t)) continue;
      const hint = closest(t, known);
      issueAt(
        source,
        ["client_host", "topics", t],
        `a topic this pipeline manages, from configs/topics/ or a connector's dead-letter queue${hint ? ` (did you mean "${hint}"?)` : ""}`,
        `"${t}"`,
        true,
      );
    }
  }
}

export const CLIENT_HOST_CHECKS: readonly ConfigCheck[] = [{ name: "environment: client host topics", check: checkClientHostTopics }];
