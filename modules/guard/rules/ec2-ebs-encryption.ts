import { fromProblems, nonCompliant, Rule } from "../rule";
import { block, blocks, bool } from "../util";

/**
 * Encryption must be explicit on every volume: account-level "EBS encryption by default" is not
 * visible at synth time, and an AMI's unencrypted snapshot would otherwise give an unencrypted root.
 */
const rule: Rule = {
  id: "EC2-2",
  title: "EC2 root and EBS volumes are encrypted",
  resourceTypes: ["aws_instance", "aws_launch_template"],
  why: "Unencrypted volumes and their snapshots expose data to anyone who can copy or share a snapshot.",
  checkov: ["CKV_AWS_8"],
  trivy: ["AVD-AWS-0131", "AVD-AWS-0008"],
  check(config, ctx) {
    const problems: string[] = [];
    if (ctx.self.type === "aws_instance") {
      const root = block(config.root_block_device);
      if (bool(root?.encrypted) !== true) {
        problems.push(root ? "root_block_device.encrypted is not true" : "root_block_device is absent; set encrypted = true");
      }
      blocks(config.ebs_block_device).forEach((d, i) => {
        if (bool(d.encrypted) !== true) problems.push(`ebs_block_device ${i + 1} (${d.device_name}) is not encrypted`);
      });
    } else {
      const mappings = blocks(config.block_device_mappings);
      if (mappings.length === 0) {
        return nonCompliant("block_device_mappings is absent; declare the root volume with ebs.encrypted = true");
      }
      mappings.forEach((m, i) => {
        const ebs = block(m.ebs);
        if (ebs && bool(ebs.encrypted) !== true) {
          problems.push(`block_device_mappings ${i + 1} (${m.device_name}) ebs.encrypted is not true`);
        }
      });
    }
    return fromProblems(problems);
  },
};
export default rule;
