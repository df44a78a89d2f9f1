// Imported first by this entry: the AWS component needs Pulumi's AWS provider.
import { requirePeers } from "../peers";

requirePeers("pulumi-es-migrate/components/aws", ["@pulumi/aws"]);
