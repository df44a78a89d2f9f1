// Imported first by this entry: the Alibaba Cloud components need Pulumi's provider and Alibaba's API SDK.
import { requirePeers } from "../peers";

requirePeers("pulumi-es-migrate/components/alicloud", ["@pulumi/alicloud", "@alicloud/elasticsearch20170613"]);
