"""moto_server with EKS DescribeUpdate (used by test/moto.ts when a test updates node groups in place).

moto 5.2.1 applies UpdateNodegroupConfig at once and answers with an update of status "Successful", but
keeps no record of it and has no DescribeUpdate route (404), which the AWS provider polls after every
in-place node-group update. This keeps each update exactly as moto answered it and serves it back on
GET /clusters/{name}/updates/{updateId}. Nothing else changes; arguments are moto_server's.
"""
import sys

from moto.core.responses import ActionResult
from moto.eks import urls
from moto.eks.models import EKSBackend
from moto.eks.responses import EKSResponse
from moto.server import main

UPDATES: dict = {}
_update_nodegroup_config = EKSBackend.update_nodegroup_config


def update_nodegroup_config(self, *args, **kwargs):
    update = _update_nodegroup_config(self, *args, **kwargs)
    UPDATES[update["id"]] = update
    return update


def describe_update(self):
    update = UPDATES.get(self._get_param("updateId"))
    if update is None:
        return 404, {}, '{"message": "No update found"}'
    return ActionResult({"update": update})


EKSBackend.update_nodegroup_config = update_nodegroup_config
EKSResponse.describe_update = describe_update
urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$"] = urls.response.dispatch

if __name__ == "__main__":
    sys.argv[0] = "moto_server"
    sys.exit(main())
