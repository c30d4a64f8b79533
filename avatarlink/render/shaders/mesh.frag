#version 330 core
// Soft "flattering" shading for stylized characters: wrapped diffuse from the
// scene's directional lights (key, fill, rim) and a sky/ground ambient, both
// interpolated from the vertex shader, plus a gentle per-pixel highlight from
// the key light and a fresnel rim. Far cheaper than pyrender's PBR shader on a
// software rasteriser, and it reads the same uniforms pyrender sets.
struct DirectionalLight { vec3 color; float intensity; vec3 direction; };
struct Material {
    vec3 emissive_factor;
    vec4 base_color_factor;
    float metallic_factor;
    float roughness_factor;
};
uniform Material material;
uniform DirectionalLight directional_lights[MAX_DIRECTIONAL_LIGHTS];
uniform vec3 cam_pos;
uniform vec3 ambient_light;
in vec3 frag_position;
in vec3 frag_normal;
in vec3 frag_diffuse;
out vec4 frag_color;
void main()
{
    vec3 base = material.base_color_factor.rgb;
    vec3 n = normalize(frag_normal);
    vec3 v = normalize(cam_pos - frag_position);
    float nv = max(dot(n, v), 0.0);
    float rough = material.roughness_factor;
    float metal = material.metallic_factor;
    vec3 key = -directional_lights[0].direction;
    float shininess = mix(90.0, 6.0, rough);
    float spec = pow(max(dot(n, normalize(key + v)), 0.0), shininess) * (shininess + 2.0) / 16.0;
    vec3 spec_color = mix(vec3(0.05), base, metal) * (1.0 - 0.7 * rough);
    float f = 1.0 - nv;
    vec3 color = base * frag_diffuse * (1.0 - 0.5 * metal)
                 + spec_color * spec * directional_lights[0].intensity * directional_lights[0].color
                 + f * f * f * 0.18 * ambient_light + material.emissive_factor;
    color = color / (1.0 + 0.25 * color);  // soft shoulder instead of hard clipping
    // gamma 2.2 by a cheap curve: sqrt (gamma 2) nudged towards 2.2
    vec3 g = sqrt(clamp(color, 0.0, 1.0));
    frag_color = vec4(g * (1.0 - 0.09 * (1.0 - g)), material.base_color_factor.a);
}
