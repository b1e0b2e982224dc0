package runpod

// GraphQL documents, as structs that hasura/go-graphql-client turns into query text. Every
// output is decoded as nullable. The variable types are named after the schema's input types.

// PodFindAndDeployOnDemandInput is the schema's input of podFindAndDeployOnDemand.
type PodFindAndDeployOnDemandInput struct {
	Name              string                     `json:"name"`
	ImageName         string                     `json:"imageName,omitempty"`
	TemplateID        string                     `json:"templateId,omitempty"`
	GPUTypeID         string                     `json:"gpuTypeId"`
	GPUCount          int                        `json:"gpuCount"`
	CloudType         string                     `json:"cloudType"`
	DataCenterID      string                     `json:"dataCenterId,omitempty"`
	ContainerDiskInGb int                        `json:"containerDiskInGb,omitempty"` // 0: the template's
	VolumeInGb        int                        `json:"volumeInGb"`
	VolumeMountPath   string                     `json:"volumeMountPath,omitempty"`
	NetworkVolumeID   string                     `json:"networkVolumeId,omitempty"`
	MinVcpuCount      int                        `json:"minVcpuCount,omitempty"`
	MinMemoryInGb     int                        `json:"minMemoryInGb,omitempty"`
	MinCudaVersion    string                     `json:"minCudaVersion,omitempty"`
	Ports             string                     `json:"ports"`
	Env               []EnvironmentVariableInput `json:"env"`
	StartSsh          bool                       `json:"startSsh"`
	SupportPublicIP   bool                       `json:"supportPublicIp"`
	TerminateAfter    string                     `json:"terminateAfter,omitempty"`
}

// EnvironmentVariableInput is one env entry of a create.
type EnvironmentVariableInput struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// PodFilter selects one pod.
type PodFilter struct {
	PodID string `json:"podId"`
}

// PodResumeInput resumes a stopped pod.
type PodResumeInput struct {
	PodID    string `json:"podId"`
	GPUCount int    `json:"gpuCount,omitempty"`
}

// PodStopInput stops a pod.
type PodStopInput struct {
	PodID string `json:"podId"`
}

// PodTerminateInput terminates a pod.
type PodTerminateInput struct {
	PodID string `json:"podId"`
}

// GpuTypeFilter selects GPU types by id.
type GpuTypeFilter struct {
	IDs []string `json:"ids,omitempty"`
}

// GpuLowestPriceInput asks for the on-demand price for a GPU count and cloud.
type GpuLowestPriceInput struct {
	GPUCount    int   `json:"gpuCount"`
	SecureCloud *bool `json:"secureCloud,omitempty"`
}

type portNode struct {
	IP          *string `graphql:"ip"`
	IsIPPublic  *bool   `graphql:"isIpPublic"`
	PrivatePort *int    `graphql:"privatePort"`
	PublicPort  *int    `graphql:"publicPort"`
	Type        *string `graphql:"type"`
}

type runtimeNode struct {
	UptimeInSeconds *int       `graphql:"uptimeInSeconds"`
	Ports           []portNode `graphql:"ports"`
}

type machineNode struct {
	GPUDisplayName *string `graphql:"gpuDisplayName"`
	GPUTypeID      *string `graphql:"gpuTypeId"`
	SecureCloud    *bool   `graphql:"secureCloud"`
}

type podNode struct {
	ID               *string      `graphql:"id"`
	Name             *string      `graphql:"name"`
	DesiredStatus    *string      `graphql:"desiredStatus"`
	ImageName        *string      `graphql:"imageName"`
	CostPerHr        *float64     `graphql:"costPerHr"`
	GPUCount         *int         `graphql:"gpuCount"`
	Env              []*string    `graphql:"env"`
	LastStatusChange *string      `graphql:"lastStatusChange"`
	CreatedAt        *string      `graphql:"createdAt"`
	LastStartedAt    *string      `graphql:"lastStartedAt"`
	VolumeInGb       *float64     `graphql:"volumeInGb"`
	VolumeMountPath  *string      `graphql:"volumeMountPath"`
	Machine          *machineNode `graphql:"machine"`
	Runtime          *runtimeNode `graphql:"runtime"`
}

type createPodMutation struct {
	Pod *podNode `graphql:"podFindAndDeployOnDemand(input: $input)"`
}

type getPodQuery struct {
	Pod *podNode `graphql:"pod(input: $input)"`
}

type listPodsQuery struct {
	Myself *struct {
		ID   *string   `graphql:"id"`
		Pods []podNode `graphql:"pods"`
	} `graphql:"myself"`
}

type resumePodMutation struct {
	Pod *podNode `graphql:"podResume(input: $input)"`
}

type stopPodMutation struct {
	Pod *struct {
		ID            *string `graphql:"id"`
		DesiredStatus *string `graphql:"desiredStatus"`
	} `graphql:"podStop(input: $input)"`
}

type terminatePodMutation struct {
	Result *string `graphql:"podTerminate(input: $input)"`
}

type gpuTypesQuery struct {
	// Myself proves the key in the same request: RunPod answers gpuTypes without one.
	Myself *struct {
		ID *string `graphql:"id"`
	} `graphql:"myself"`
	GPUTypes []struct {
		ID             *string `graphql:"id"`
		DisplayName    *string `graphql:"displayName"`
		MemoryInGb     *int    `graphql:"memoryInGb"`
		SecureCloud    *bool   `graphql:"secureCloud"`
		CommunityCloud *bool   `graphql:"communityCloud"`
		LowestPrice    *struct {
			StockStatus          *string  `graphql:"stockStatus"`
			UninterruptablePrice *float64 `graphql:"uninterruptablePrice"`
		} `graphql:"lowestPrice(input: $lp)"`
	} `graphql:"gpuTypes(input: $input)"`
}
