// Network access for remote reindex into Alibaba Cloud Elasticsearch (`pulumi-es-migrate/components/alicloud`).
import "./sdk";
export * from "./reindex-access";
export { ElasticsearchVpcEndpoint, type ElasticsearchVpcEndpointArgs } from "./vpc-endpoint";
export { ElasticsearchInstanceWhitelist, type ElasticsearchInstanceWhitelistArgs } from "./instance-whitelist";
export type { AlibabaApiArgs } from "../../provider/alicloud/api-client";
export {
  WHITELIST_KEY,
  mergeReindexWhitelist,
  planSecurityGroupRule,
  planV2RemoteHost,
  planV2WhitelistEntries,
  planV3RemoteHost,
  planV3WhitelistEntries,
  validateAccessShape,
  whitelistYml,
} from "./plan";
