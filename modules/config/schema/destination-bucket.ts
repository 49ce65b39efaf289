/**
 * The `bucket` section of a kind that writes to S3 (an s3-sink connector, an archive): an existing
 * bucket by name, or one the stack creates with its secure bucket defaults, never both.
 */
import { z } from "zod";
import { s3BucketNameProblem } from "../../validators/s3-bucket-name";

/** An S3 bucket name, with S3's own rule that it breaks in the message. */
export const s3BucketName = z.string().superRefine((name, ctx) => {
  const problem = s3BucketNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: `an S3 bucket name (${problem})` });
});

/** What the owner says about its two choices (the fields' descriptions). */
export interface DestinationBucketDescriptions {
  /** Of `name`: whose bucket it may be. */
  readonly name: string;
  /** Of `create`: the created bucket's name and defaults. */
  readonly create: string;
}

export function destinationBucketSchema(descriptions: DestinationBucketDescriptions) {
  return z
    .strictObject({
      name: s3BucketName.optional().describe(descriptions.name),
      create: z.literal(true).optional().describe(descriptions.create),
      force_destroy: z.boolean().optional().describe("With create: let destroy delete the bucket while it holds objects. @default false"),
      noncurrent_version_expiration_days: z
        .number()
        .int()
        .min(1)
        .max(3650)
        .optional()
        .describe("With create: days S3 keeps an overwritten or deleted object version. @default 30"),
    })
    .superRefine((b, ctx) => {
      const set = [b.name !== undefined, b.create === true].filter(Boolean).length;
      if (set !== 1) ctx.addIssue({ code: "custom", path: [], message: `exactly one of name (an existing bucket) or create: true, found ${set === 0 ? "neither" : "both"}` });
      if (b.create !== true) {
        for (const k of ["force_destroy", "noncurrent_version_expiration_days"] as const) {
          if (b[k] !== undefined) ctx.addIssue({ code: "custom", path: [k], message: `${k} only with create: true (an existing bucket is not managed here), found ${JSON.stringify(b[k])}` });
        }
      }
    });
}
